#!/bin/sh
# quick checks with HTTPie against the production LMS
http --form POST https://lms.example.edu/webservice/rest/server.php \
    wstoken==8317cb96895792d03a09d1ccd40f3586 \
    wsfunction==core_course_get_courses \
    moodlewsrestformat==json
