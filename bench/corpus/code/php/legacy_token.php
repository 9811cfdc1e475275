<?php
// Legacy SSO bridge: asks Moodle for a token on behalf of the pupil account.
require_once(__DIR__ . '/lib/curl.php');

$url = 'https://lernen.example-gs.de/login/token.php?username=pupil17&password=Drossel&7pk&service=bridge_sso';
$response = (new curl())->get($url);
$token = json_decode($response)->token ?? null;
