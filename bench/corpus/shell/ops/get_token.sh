#!/bin/sh
# fetch a fresh mobile token for the kiosk account
wget -qO- "http://moodle.example-college.org/login/token.php?username=kiosk&password=NFDoI_7Mz9pY&service=moodle_mobile_app" 
