<?php
require_once(__DIR__ . '/MoodleRest.php');

$moodle = new MoodleRest('https://ava.example.edu.br/webservice/rest/server.php', 'ac9d12aa36c6bcb5f598f45b224cf8e7');

$params = ['users' => [[
    'username'  => 'aluno.novo',
    'password'  => 'Troque-123',
    'firstname' => 'Aluno',
    'lastname'  => 'Novo',
    'email'     => 'aluno.novo@example.edu.br',
]]];
$result = $moodle->request('core_user_create_users', $params, MoodleRest::METHOD_POST);
print_r($result);
