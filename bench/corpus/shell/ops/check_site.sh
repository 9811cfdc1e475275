#!/usr/bin/env bash
set -euo pipefail
# nightly smoke test of the LMS API
curl -fsS "http://moodle.school.example.org/webservice/rest/server.php?wstoken=23c66842d03ab51b336a32cfee5d49a4&wsfunction=core_webservice_get_site_info&moodlewsrestformat=json" \
  | jq -r .sitename
