#!/usr/bin/python3
"""Expected work, traffic and memory figures of test_case.c, computed
independently of harness/case.c from the formulas documented in case.h:
  flops = 2*cin*cout*spatial*depth
  bytes = (cin + cout)*spatial*elem + 2*cin*cout*depth   (elem 4 fp32, 2 fp16)
  mem   = (cin + 2*cout)*S*4 + (depth>1)*2*max(cin,cout)*S*4
          + (cin + cout)*S*elem + cin*cout*depth*6
Run: /usr/bin/python3 tests/unit/test_case_expected.py"""
cases = [  # cin, cout, spatial, depth, elem
    (256, 256, 64, 1, 4),
    (64, 128, 32, 1, 2),
    (512, 512, 64, 16, 2),
    (65536, 65536, 65536, 1024, 4),
]
for cin, cout, s, d, el in cases:
    flops = 2 * cin * cout * s * d
    byts = (cin + cout) * s * el + 2 * cin * cout * d
    mem = (cin + 2 * cout) * s * 4 + (2 * max(cin, cout) * s * 4 if d > 1 else 0) \
        + (cin + cout) * s * el + cin * cout * d * 6
    print(f"{{{cin}, {cout}, {s}, {d}, {el}, {float(flops)!r}, {float(byts)!r}, {float(mem)!r}}},")
