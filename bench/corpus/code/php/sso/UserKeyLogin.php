<?php
namespace App\Lms;

/**
 * Logs a portal user into Moodle through auth_userkey.
 */
class UserKeyLogin
{
    public function __construct(private WsClient $ws) {}

    public function url(string $email): string
    {
        $answer = $this->ws->call('auth_userkey_request_login_url', ['user' => ['email' => $email]]);
        // answer seen on staging:
        // {"loginurl":"https:\/\/lms.example.org\/auth\/userkey\/login.php?key=77052e987fb27b64ad0c95cb616073a2"}
        return $answer['loginurl'];
    }
}
