# Throwaway: every activity's score for the synth400 database, computed with scipy
# from the matrices synth.py wrote (A.mtx, B.mtx, C.mtx), independently of Zuji.
import sys, numpy as np, scipy.io, scipy.sparse.linalg as sla
d = sys.argv[1]
A = scipy.io.mmread(f"{d}/A.mtx").tocsc()
B = scipy.io.mmread(f"{d}/B.mtx").tocsc()
C = scipy.io.mmread(f"{d}/C.mtx").toarray().ravel()
h = sla.spsolve(A.T.tocsc(), B.T @ C)   # h = A^-T B^T c
with open(sys.argv[2], "w") as f:
    f.write("activity_id,score\n")
    for j, v in enumerate(h):
        f.write(f"act{j},{float(v)!r}\n")
