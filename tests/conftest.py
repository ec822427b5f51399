import os
import sys
from pathlib import Path

from hypothesis import settings

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent / "engine"))
sys.path.insert(0, str(Path(__file__).parent / "golden"))     # the recorders' torch-free helpers

# Property tests explore new examples on a developer's machine; in CI they replay a fixed
# sequence, so a landing never depends on the luck of the draw (a failure found locally is
# fixed and kept as an explicit example). No deadline: the 2-core CI machine is often loaded.
settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
