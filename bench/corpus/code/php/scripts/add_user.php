<?php
require_once('MoodleRest.php');

$MoodleRest = new MoodleRest('http://10.20.1.40/moodle/webservice/rest/server.php', '5f9ea3e394cd1a81ef8768a68e2e5459');

$params = ['users' => [['username' => 'ivanov', 'firstname' => 'Ivan', 'lastname' => 'Ivanov', 'email' => 'ivanov@example.ru', 'createpassword' => 1]]];
print_r($MoodleRest->request('core_user_create_users', $params));
