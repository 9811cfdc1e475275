<?php
// Connection to the LMS (Moodle web services)
define('MOODLE_DOMAIN', 'https://lms.example.org');
define('MOODLE_TOKEN', '560083d45efe018b9a34a44ab108aabf');
define('MOODLE_REST_FORMAT', 'json');

class MoodleConfig
{
    public static function getWebServiceUrl(): string
    {
        return MOODLE_DOMAIN . '/webservice/rest/server.php';
    }
}
