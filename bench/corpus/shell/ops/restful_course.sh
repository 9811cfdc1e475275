#!/bin/bash
# local_supportbot uses the webservice_restful plugin (JSON in, JSON out)
curl -X POST \
  -H "Content-Type: application/json" \
  -H "Accept: application/json" \
  -H "Authorization: 919a5443a579cb62fa0c519b43705e3f" \
  -d '{"userid":"4","course":{"fullname":"Onboarding","shortname":"onb","categoryid":"2"}}' \
  "https://moodle.example.edu/webservice/restful/server.php/local_supportbot_create_course"
