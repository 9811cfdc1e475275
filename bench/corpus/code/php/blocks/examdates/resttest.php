<?php
require('../../config.php');
require_once($CFG->libdir . '/filelib.php');

$urlparam = "&criteria[0][key]=id&criteria[0][value]=1";
$param = ['wsfunction' => 'core_user_get_users'];
$curl = new \curl();
//$param['wstoken'] = '357969dc3c5519015acc77266161cdc4';
$response = $curl->post('https://training.example.com/webservice/rest/server.php?moodlewsrestformat=json' . $urlparam, $param);
print_r(json_decode($response));
