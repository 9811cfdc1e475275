#!/usr/bin/env bash
# Refresh the token used by the library self-service terminals.
set -euo pipefail
SITE=https://moodle.example-school.org
curl -fsS "$SITE/login/token.php" \
    --data-urlencode "username=libterm01" \
    --data-urlencode "password=Quokka#2207ab" \
    --data-urlencode "service=moodle_mobile_app" | jq -r .token > /run/libterm/token
