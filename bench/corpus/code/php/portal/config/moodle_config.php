<?php
// Connection to the LMS (Moodle web services)
define('MOODLE_DOMAIN', 'https://lms.example.org');
define('MOODLE_TOKEN', '3339b388e2d7ddcbe7e9d4719daca482');
define('MOODLE_REST_FORMAT', 'json');

class MoodleConfig
{
    public static function getWebServiceUrl(): string
    {
        return MOODLE_DOMAIN . '/webservice/rest/server.php';
    }
}
