#!/bin/sh
# quick checks with HTTPie against the production LMS
http --form POST https://lms.example.edu/webservice/rest/server.php \
    wstoken==e7131f7297fb544f9d658b43559236ab \
    wsfunction==core_course_get_courses \
    moodlewsrestformat==json
