<?php
$token = '2ed582610d0ee5129be8d7bc06237d0b';
$domainname = 'https://moodle.example-univ.fr';

$functionname = 'local_remote_link_user';
$serverurl = $domainname . '/webservice/rest/server.php' . '?wstoken=' . $token . '&wsfunction=' . $functionname;

require_once('./curl.php');
$curl = new curl;
$resp = $curl->post($serverurl . '&moodlewsrestformat=json', ['userid' => 2]);
print_r($resp);
