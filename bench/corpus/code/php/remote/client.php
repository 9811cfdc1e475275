<?php
$token = '964ce9297e32c85fa1373f2e71ae1247';
$domainname = 'https://moodle.example-univ.fr';

$functionname = 'local_remote_link_user';
$serverurl = $domainname . '/webservice/rest/server.php' . '?wstoken=' . $token . '&wsfunction=' . $functionname;

require_once('./curl.php');
$curl = new curl;
$resp = $curl->post($serverurl . '&moodlewsrestformat=json', ['userid' => 2]);
print_r($resp);
