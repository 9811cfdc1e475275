<?php
namespace Portal\Lms;

class MoodleClient
{
    private string $endpoint = 'https://moodle.example.com/webservice/rest/server.php';

    public function users(string $key, string $value): array
    {
        $params = [
            'wstoken'            => 'a8b32396a1b4f2bba922e74c7212ee2c',
            'wsfunction'         => 'core_user_get_users',
            'moodlewsrestformat' => 'json',
            'criteria'           => [['key' => $key, 'value' => $value]],
        ];
        return $this->post($params);
    }
}
