"""`name 'valeu' is not defined. Did you mean: 'value'?`: Python 3.11's own suggestion rule
(Lib/traceback.py, `_compute_suggestion_error`): the candidate with the smallest edit
distance, where a changed letter costs 2 and a change of case only 1, within a bound that
grows with the names' lengths."""

from __future__ import annotations

MAX_CANDIDATES = 750
MAX_NAME_LENGTH = 40
MOVE_COST = 2
CASE_COST = 1


def suggest_name(wrong: str, candidates) -> str | None:
    candidates = list(dict.fromkeys(candidates))
    if len(candidates) > MAX_CANDIDATES * 4 or len(wrong) > MAX_NAME_LENGTH:
        return None
    best_distance = len(wrong)
    suggestion = None
    for possible in candidates:
        if possible == wrong:
            continue
        bound = min((len(possible) + len(wrong) + 3) * MOVE_COST // 6, best_distance - 1)
        distance = _distance(wrong, possible, bound)
        if distance > bound:
            continue
        if suggestion is None or distance < best_distance:
            suggestion = possible
            best_distance = distance
    return suggestion


def _substitution_cost(a: str, b: str) -> int:
    if a == b:
        return 0
    return CASE_COST if a.lower() == b.lower() else MOVE_COST


def _distance(a: str, b: str, bound: int) -> int:
    """Weighted Levenshtein distance, or bound + 1 as soon as it must exceed `bound`."""
    if a == b:
        return 0
    if abs(len(a) - len(b)) * MOVE_COST > bound or len(b) > MAX_NAME_LENGTH:
        return bound + 1
    previous = [j * MOVE_COST for j in range(len(b) + 1)]
    for i, char_a in enumerate(a, start=1):
        current = [i * MOVE_COST]
        for j, char_b in enumerate(b, start=1):
            current.append(min(previous[j] + MOVE_COST, current[j - 1] + MOVE_COST,
                               previous[j - 1] + _substitution_cost(char_a, char_b)))
        if min(current) > bound:
            return bound + 1
        previous = current
    return previous[-1]
