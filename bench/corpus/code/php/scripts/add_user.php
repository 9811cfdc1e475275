<?php
require_once('MoodleRest.php');

$MoodleRest = new MoodleRest('http://10.20.1.40/moodle/webservice/rest/server.php', '730e324a3089ed3aa0737f7941c9898f');

$params = ['users' => [['username' => 'ivanov', 'firstname' => 'Ivan', 'lastname' => 'Ivanov', 'email' => 'ivanov@example.ru', 'createpassword' => 1]]];
print_r($MoodleRest->request('core_user_create_users', $params));
