# The grader in a Linux container, for instructors on macOS or Windows (see README, "Grading").
#   docker build -t nnbook-grader .
#   docker run --rm --security-opt seccomp=unconfined --security-opt apparmor=unconfined \
#       -v "$PWD/submissions:/class:ro" -v "$PWD/out:/out" nnbook-grader \
#       nnbook grade /class --csv /out/grades.csv
# The sandbox (bubblewrap) needs user namespaces, which Docker's default seccomp and AppArmor
# profiles forbid: hence the two --security-opt options. The submissions still run in the sandbox.
FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends bubblewrap \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY requirements.txt pyproject.toml README.md LICENSE ./
COPY src ./src
# Everything pinned but PyTorch: the grader runs no chapter, and PyPI's Linux torch is the CUDA build.
RUN grep -v '^torch==' requirements.txt > requirements-grader.txt \
    && pip install --no-cache-dir -r requirements-grader.txt \
    && pip install --no-cache-dir --no-deps . \
    && python -m ipykernel install --sys-prefix --name python3 \
    && rm -rf /build
WORKDIR /work
CMD ["nnbook", "grade", "--help"]
