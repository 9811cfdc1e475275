<?php
// Local test settings for the chat activity plugins (never committed upstream)
set_config('instanceurl', 'https://chat.example.edu', 'mod_rocketchat');
set_config('restapiroot', '/api/v1/', 'mod_rocketchat');
set_config('apiuser', 'moodle-bot', 'mod_rocketchat');
set_config('apitoken', 'wkABE6f7ZxSEtWId5wAREA1WNtpPAzcNLk_0XxK9P_1', 'mod_rocketchat'); // X-Auth-Token
set_config('apiuserid', 'oFQguCbppQwGygN5e', 'mod_rocketchat'); // X-User-Id

set_config('instanceurl', 'https://team.example.edu', 'mod_mattermost');
set_config('authtoken', '17mwsdjd7n0ickbijjuxy76uzt', 'mod_mattermost');
set_config('secret', 'gb9ds23y85cyzb0qr29ebx4o10wgq40k', 'mod_mattermost'); // webhook secret of the Mattermost moodle-sync plugin
