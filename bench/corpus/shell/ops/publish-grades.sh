#!/bin/sh
# Pull the published XML grade export for course 214 into the SIS drop folder (cron, 02:10).
curl -fsS "https://moodle.example.edu/grade/export/xml/dump.php?id=214&groupid=&itemids=&export_letters=&export_feedback=0&updatedgradesonly=&displaytype=1&decimalpoints=2&export_onlyactive=1&usercustomfields=1&key=bfb6f3c7ee3e8a633db430b7bd1263f7" -o /srv/sis/inbox/grades-214.xml
