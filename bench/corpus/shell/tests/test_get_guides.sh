#!/bin/bash

API="https://moodle.example.edu/webservice/rest/server.php"   # WS entry point.
TOKEN="a2ede05abee22effba8f876861497a04"                # WS Token.

echo "Call mod_courseguide_get_guides_courses"
curl "$API" \
    -d moodlewsrestformat=json \
    -d wstoken="$TOKEN" \
    -d wsfunction=mod_courseguide_get_guides_courses \
    -d courseid=2
