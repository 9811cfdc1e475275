<?php
namespace Portal\Lms;

class MoodleClient
{
    private string $endpoint = 'https://moodle.example.com/webservice/rest/server.php';

    public function users(string $key, string $value): array
    {
        $params = [
            'wstoken'            => '104e04852ee6325f7225718b220c1297',
            'wsfunction'         => 'core_user_get_users',
            'moodlewsrestformat' => 'json',
            'criteria'           => [['key' => $key, 'value' => $value]],
        ];
        return $this->post($params);
    }
}
