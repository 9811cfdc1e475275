#!/usr/bin/env bash
set -euo pipefail
# nightly smoke test of the LMS API
curl -fsS "http://moodle.school.example.org/webservice/rest/server.php?wstoken=eb5d167f39f3a94ed809caea4bee0f8b&wsfunction=core_webservice_get_site_info&moodlewsrestformat=json" \
  | jq -r .sitename
