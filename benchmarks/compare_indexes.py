"""Compare two indexes built from the same pile (e.g. by two versions of the code): every
term of every field with its postings (documents and weights; positions for the text fields),
each document's stored fields and field lengths, and the sidecar files of each segment.

    .venv/bin/python benchmarks/compare_indexes.py INDEX_A INDEX_B

Documents are compared by number, so both indexes must have been written from the same files
in the same order (any --jobs) and have one segment each, or the same segments.
"""
import sys, marshal
from pathlib import Path
from whoosh import index as wi
from archive import store  # noqa: F401  (AnalysedText in the schema)
a, b = (wi.open_dir(p) for p in sys.argv[1:3])
ra, rb = a.reader(), b.reader()
assert ra.doc_count_all() == rb.doc_count_all(), "doc counts"
diffs = 0
terms = 0
for field in sorted(ra.indexed_field_names()):
    la, lb = list(ra.lexicon(field)), list(rb.lexicon(field))
    if la != lb:
        print("lexicon differs", field, len(la), len(lb)); diffs += 1; continue
    for t in la:
        ma, mb = ra.postings(field, t), rb.postings(field, t)
        pa = list(ma.items_as("weight")); pb = list(mb.items_as("weight"))
        if pa != pb:
            diffs += 1; print("postings differ", field, t); continue
        if field in ("title", "body", "author"):
            ma, mb = ra.postings(field, t), rb.postings(field, t)
            va = [v for _, v in ma.items_as("positions")] ; vb = [v for _, v in mb.items_as("positions")]
            if va != vb: diffs += 1; print("positions differ", field, t)
        terms += 1
for n in range(ra.doc_count_all()):
    if ra.stored_fields(n) != rb.stored_fields(n):
        diffs += 1; print("stored differ", n)
    for f in ("title", "body", "author"):
        if ra.doc_field_length(n, f) != rb.doc_field_length(n, f):
            diffs += 1; print("length differ", n, f)
def sidecars(folder, reader):
    out = {}
    for leaf, _ in reader.leaf_readers():
        sid = leaf.segment().segment_id()
        for p in sorted((Path(folder) / "facets").glob(sid + ".*")):
            data = p.read_bytes()
            out[p.name.split(".", 1)[1]] = data if "postings" in p.name else marshal.loads(data)
    return out
sa, sb = sidecars(sys.argv[1], ra), sidecars(sys.argv[2], rb)
print("sidecar kinds", sorted(sa) == sorted(sb), len(sa))
for k in sa:
    if sa[k] != sb.get(k):
        diffs += 1; print("sidecar differs", k)
print(f"terms compared {terms}, documents {ra.doc_count_all()}, differences {diffs}")
