#!/usr/bin/env bash
# Validates action.yml, the GitHub workflows and the GitLab CI example against the published
# schemas that ship inside check-jsonschema (installed from PyPI into target/; no other
# network access), and runs actionlint on the workflows when it is installed.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/validate-venv
if [ ! -x "$venv/bin/check-jsonschema" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'check-jsonschema>=0.29'
fi
check() { "$venv/bin/check-jsonschema" "$@"; }

check --builtin-schema vendor.github-actions action.yml
check --builtin-schema vendor.github-workflows .github/workflows/*.yml docs/github-workflow.yml docs/org-audit-github-matrix.yml
check --builtin-schema vendor.gitlab-ci docs/gitlab-ci.yml

if command -v actionlint >/dev/null; then
    actionlint .github/workflows/*.yml
else
    echo "actionlint not installed: skipped"
fi
