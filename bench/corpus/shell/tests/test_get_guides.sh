#!/bin/bash

API="https://moodle.example.edu/webservice/rest/server.php"   # WS entry point.
TOKEN="e04ca01e6be43ba77c13885627336b18"                # WS Token.

echo "Call mod_courseguide_get_guides_courses"
curl "$API" \
    -d moodlewsrestformat=json \
    -d wstoken="$TOKEN" \
    -d wsfunction=mod_courseguide_get_guides_courses \
    -d courseid=2
