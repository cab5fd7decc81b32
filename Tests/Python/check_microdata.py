"""Checks anonymised microdata with pycanon: k-anonymity on the quasi-identifiers and, when
asked, l-diversity of the sensitive column.

Usage: check_microdata.py FILE K QI,QI,... [SENSITIVE L] — prints "microdata: ok k=… [l=…]".
"""
import sys

import pandas as pd
from pycanon import anonymity

path, k_wanted, quasi = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(",")
data = pd.read_csv(path, dtype=str, keep_default_na=False)
if len(data) == 0:
    print("no rows")
    sys.exit(1)
k = anonymity.k_anonymity(data, quasi)
message = "microdata: ok k=%d rows=%d" % (k, len(data))
if k < k_wanted:
    print("k-anonymity is %d, below %d" % (k, k_wanted))
    sys.exit(1)
if len(sys.argv) > 5:
    sensitive, l_wanted = sys.argv[4], int(sys.argv[5])
    l = anonymity.l_diversity(data, quasi, [sensitive])
    if l < l_wanted:
        print("l-diversity is %d, below %d" % (l, l_wanted))
        sys.exit(1)
    message += " l=%d" % l
print(message)
