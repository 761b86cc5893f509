"""Fill empty msgstr entries of .po files from a Python dict file: fill_po.py DICT.py PO [PO...]"""
import runpy
import sys

import polib

table = runpy.run_path(sys.argv[1])["T"]
for path in sys.argv[2:]:
    po = polib.pofile(path)
    missing = []
    for entry in po:
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.msgstr = ""
        if not entry.msgstr and entry.msgid in table:
            entry.msgstr = table[entry.msgid]
        if not entry.msgstr:
            missing.append(entry.msgid)
    po.save(path)
    print(path, "missing:", missing)
