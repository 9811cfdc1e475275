#!/bin/bash
# local_supportbot uses the webservice_restful plugin (JSON in, JSON out)
curl -X POST \
  -H "Content-Type: application/json" \
  -H "Accept: application/json" \
  -H "Authorization: 0f9dce46d7a27148b44f563abeb98d74" \
  -d '{"userid":"4","course":{"fullname":"Onboarding","shortname":"onb","categoryid":"2"}}' \
  "https://moodle.example.edu/webservice/restful/server.php/local_supportbot_create_course"
