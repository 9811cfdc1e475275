<?php
// Moodle integration of the student information system.
// The array key is the school ID in the SIS.
global $moodle_urls, $moodle_tokens;

$moodle_urls = array(
	1 => 'https://moodle.escola-central.example.org',
	2 => 'https://moodle.escola-norte.example.org',
);
$moodle_tokens = array(
	1 => 'a5542f8a4180ded6f6ccbd7752b0c1ca',
	2 => 'caaa8668eaa170e9b5d5a22a094565e0',
);

define('MOODLE_PARENT_ROLE_ID', 10);
