"""Programs that are plain Python (no torch): gradcli must run them exactly as CPython does, so
the tests compare with CPython itself, running in the test process (no golden needed)."""

PROGRAMS = {
    "arithmetic": "print(7 // 2, 7 % 3, -7 // 2, 2 ** 10, 2 ** -1, 1 / 3, 10 - 4 - 3, 2 * 3 + 4)",
    "floats_print_as_python": "print(0.1 + 0.2, 1e-5, 1e16, 1.0, -0.0, 2.5e-10, 123456789.125)",
    "power_is_right_associative": "print(2 ** 3 ** 2, -2 ** 2, (-2) ** 2)",
    "chained_comparison": "a = 1\nb = 2\nprint(a < b < 3, a < b > 3, 1 == 1 == 1, a == b == None)",
    "boolean_ops": "print(1 and 2, 0 and 2, 0 or 3, None or 0, not 0, not 1)",
    "ternary": "x = 5\nprint('big' if x > 3 else 'small', 'a' if x < 3 else 'b')",
    "strings": ("s = 'abc'\nprint(s + \"def\", s * 2, s.upper(), '  x '.strip(), 'a,b'.split(','),\n"
                "      'x'.join(['1', '2']), s.replace('b', 'B'), s.startswith('a'))"),
    "triple_quoted": 'print("""two\nlines""")\nprint(\'\'\'single\'\'\')',
    "escapes": r"print('tab\there', 'new\\nline', '\x41\u00e9', r'\n raw')",
    "fstrings": ("x = 3.14159\nn = 7\nprint(f'{x:.2f} {n:>4} {n:04d} {x!r} {n=} {x*2:.1e} {{}}')\n"
                 "w = 6\nprint(f'[{n:{w}}]', f'{\"q\"}', f\"{'single'}\")"),
    "format_method": "print('{} and {}'.format(1, 'b'), '{0}{1}{0}'.format('a', 'b'), "
                     "'{:.3f}'.format(2/3), '{x}-{y}'.format(x=1, y=2))",
    "percent_format": "print('%d items' % 3, '%.2f' % 3.14159, '%5.1f|%-4d|' % (2.25, 7), '%s' % 'x')",
    "lists_and_tuples": ("a = [1, 2, 3]\na.append(4)\nt = (1,)\nprint(a, t, (), [], len(a), a[-1],"
                         " a[1:3], a[::-1], a[::2], (1, 2) + (3,), [0] * 3)"),
    "chained_assignment": "a = b = [1]\nb.append(2)\nx, y = z = 1, 2\nprint(a, b, a is b, x, y, z)",
    "tuple_unpacking": "a, b = 1, 2\na, b = b, a\n(c, d), e = (3, 4), 5\nprint(a, b, c, d, e)",
    "nested_list_index_assignment": "m = [[1, 2], [3, 4]]\nm[0][1] = 9\nm[1] = 'x'\nprint(m)",
    "augmented": "x = 1\nx += 2\nx *= 3\nx -= 1\nx /= 4\nx **= 2\nprint(x)",
    "while_loop": "i = 0\ntotal = 0\nwhile i < 10:\n    i += 1\n    if i % 2: continue\n    total += i\nprint(total)",
    "while_else_free_break": "i = 0\nwhile True:\n    i += 1\n    if i > 5:\n        break\nprint(i)",
    "for_range_and_lists": ("for i in range(3): print(i, end=' ')\nprint()\nfor a, b in [(1, 2), (3, 4)]:\n"
                            "    print(a * b)\nfor i, v in enumerate('ab'): print(i, v)\n"
                            "for p, q in zip([1, 2], [3, 4]): print(p + q)"),
    "for_nested_targets": ("for i, (a, b) in enumerate([(1, 2), (3, 4)]):\n    print(i, a, b)\n"
                           "for [p, q] in [[5, 6]]: print(p * q)\nfor t, in [(7,)]: print(t)"),
    "comprehensions": ("xs = [1, 2, 3, 4]\nprint([x * x for x in xs], [x for x in xs if x % 2 if x > 1])\n"
                       "print([(a, b) for a in range(3) for b in range(a)], sum(x for x in xs),\n"
                       "      max((x for x in xs), key=None), [[y for y in range(x)] for x in xs])\n"
                       "x = 'outer'\nsquares = [x for x in range(3)]\nprint(x, squares)\n"
                       "def f(n):\n    k = 10\n    return [k + i for i in range(n)]\nprint(f(3))\n"
                       "print([a * b for a, b in zip([1, 2], [3, 4])], list(i for i in 'ab'))"),
    "lambdas_and_closures": ("square = lambda x: x * x\nadd = lambda a, b=10: a + b\n"
                             "print(square(4), add(1), add(1, 2), sorted([3, 1, 2], key=lambda v: -v))\n"
                             "def scaler(k):\n    return lambda x: x * k\ntriple = scaler(3)\n"
                             "print(triple(5), (lambda: 'no args')())\n"
                             "def outer():\n    n = 2\n    def inner(m):\n        return n * m\n"
                             "    return inner(21)\nprint(outer())"),
    "dicts": ("d = {'lr': 0.1, 'epochs': 3, }\nd['momentum'] = 0.9\nprint(d, d['lr'], len(d),\n"
              "      list(d.keys()), list(d.values()), d.get('x', 'none'), {})\n"
              "for k, v in d.items():\n    print(k, v)\nprint({1: [1, 2], (1, 2): {'a': None}})"),
    "getattr_hasattr": ("d = {'a': 1}\nprint(hasattr([], 'append'), hasattr(d, 'nope'), "
                        "getattr(d, 'get')('a'), getattr(d, 'nope', 'x'))\n"
                        "print(hasattr('s', 'upper'), getattr('ab', 'upper')(), getattr([1], 'count')(1))"),
    "keyword_unpacking": ("def f(a, b=1, c=2):\n    return a + b * c\nopts = {'c': 10}\n"
                          "print(f(1, **opts), f(*[1, 2], **{'c': 3}), f(a=5, **{'b': 0}))"),
    "nested_loops_break": ("for i in range(3):\n    for j in range(3):\n        if j == 1:\n"
                           "            break\n        print(i, j)"),
    "if_elif_else": ("for x in [-1, 0, 1]:\n    if x < 0:\n        print('neg')\n    elif x == 0:\n"
                     "        print('zero')\n    else:\n        print('pos')"),
    "one_line_blocks": "if True: print('yes'); print('also')\nwhile False: pass\nx = 1; y = 2; print(x + y)",
    "functions": ("def f(a, b=2):\n    return a * b\ndef g():\n    pass\nprint(f(3), f(3, 4), f(b=5, a=1),"
                  " g())\ndef fact(n):\n    if n <= 1:\n        return 1\n    return n * fact(n - 1)\n"
                  "print(fact(10))"),
    "function_scope": ("x = 10\ndef f(y):\n    z = x + y\n    return z\nprint(f(1))\n"
                       "def g():\n    x = 5\n    return x\nprint(g(), x)"),
    "star_args": "def f(a, b, c):\n    return a + b + c\nargs = [1, 2, 3]\nprint(f(*args), max(*args))",
    "builtins": ("print(abs(-3), min(3, 1, 2), max([4, 5]), sum([1, 2, 3]), round(2.567, 2),"
                 " round(2.5), int('12'), float('1.5'), str(3), len('abc'))\n"
                 "print(list(range(2, 8, 2)), tuple('ab'), sorted([3, 1, 2]), any([0, 1]),"
                 " all([1, 0]), list(reversed([1, 2])), bool(0), isinstance(1, int),"
                 " isinstance('a', (int, str)))"),
    "type_names": "print(type(1), type(1.5), type('a'), type([]), type(None), type(1) == int)",
    "print_sep_end": "print(1, 2, sep='-', end='!\\n')\nprint('a', 'b', sep='')\nprint()\nprint(None, True)",
    "try_except": ("try:\n    x = 1 / 0\nexcept ZeroDivisionError as e:\n    print('caught', e)\n"
                   "try:\n    [1][5]\nexcept (KeyError, IndexError) as e:\n    print(type(e), e)\n"
                   "try:\n    undefined_name\nexcept Exception as e:\n    print(repr(e))"),
    "try_else_finally": ("def f(x):\n    try:\n        r = 10 / x\n    except ZeroDivisionError:\n"
                         "        print('div0')\n        return -1\n    else:\n        print('ok')\n"
                         "    finally:\n        print('finally', x)\n    return r\nprint(f(2), f(0))"),
    "finally_runs_on_break": ("for i in range(3):\n    try:\n        if i == 1:\n            break\n"
                              "    finally:\n        print('cleanup', i)\nprint('after')"),
    "raise_and_reraise": ("try:\n    try:\n        raise ValueError('inner')\n    except ValueError:\n"
                          "        print('handling')\n        raise\nexcept ValueError as e:\n"
                          "    print('outer', e, e.args)"),
    "assert_passes": "assert 1 + 1 == 2, 'math'\nprint('fine')",
    "main_guard": "if __name__ == '__main__':\n    print('main')",
    "comments_and_blank_lines": "# a comment\n\nx = 1  # trailing\n\n\n# another\nprint(x)\n",
    "backslash_continuation": "x = 1 + \\\n    2\nprint(x)",
    "multiline_brackets": "x = [1,\n     2,\n     3]\nprint(sum(x),\n      len(x))",
    "numbers_literals": "print(0x1F, 0b101, 0o17, 1_000_000, 2., .5, 1e3, 1E-2)",
    "string_concatenation_adjacent": "print('a' 'b' \"c\")",
    "is_and_in": "a = None\nprint(a is None, a is not None, 1 in [1, 2], 3 not in (1, 2), 'b' in 'abc')",
    "deep_list_repr": "x = [[[[1]]]]\nprint(x, str(x), repr('q'))",
    "long_loop": "total = 0\nfor i in range(100000):\n    total += i\nprint(total)",
}

# Programs that fail: the error type and message must be Python's.
FAILING = {
    "getattr_missing": "getattr([], 'nope')",
    "getattr_non_string_name": "getattr([], 3)",
    "hasattr_non_string_name": "hasattr([], None)",
    "name_error": "print(v_out)",
    "name_error_suggestion": "value = 1\nprint(valeu)",
    "zero_division": "print(1 / 0)",
    "zero_division_int": "print(1 // 0)",
    "modulo_by_zero": "print(5 % 0)",
    "index_error": "print([1, 2][3])",
    "type_error_add": "print(1 + 'a')",
    "type_error_call": "x = 3\nx()",
    "too_many_arguments": "def f(a):\n    return a\nf(1, 2)",
    "missing_argument": "def f(a, b):\n    return a\nf(1)",
    "unexpected_keyword": "def f(a):\n    return a\nf(b=1)",
    "unpack_too_many": "a, b = 1, 2, 3",
    "unpack_too_few": "a, b, c = 1, 2",
    "unpack_non_iterable": "a, b = 1",
    "attribute_error_none": "x = None\nx.data",
    "raise_value_error": "raise ValueError('custom message')",
    "raise_bare_class": "raise RuntimeError",
    "assert_fails": "assert 1 > 2, 'one is not greater'",
    "assert_fails_no_message": "x = 0\nassert x",
    "int_of_text": "int('abc')",
    "unhandled_in_handler": "try:\n    1 / 0\nexcept ZeroDivisionError:\n    [][0]",
    "except_does_not_match": "try:\n    1 / 0\nexcept ValueError:\n    print('no')",
    "len_of_int": "len(5)",
    "float_text": "float('x')",
    "keyword_twice": "def f(a, b=1):\n    return a\nf(1, b=2, **{'b': 3})",
}
