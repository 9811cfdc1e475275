<?php
// Quick test client for our web services (developer sandbox).

class wsclient {
    protected $token;
    protected $domain;

    public function __construct($token, $domain) {
        $this->token = $token;
        $this->domain = rtrim($domain, '/');
    }

    public function call($function, array $params) {
        $url = $this->domain . '/webservice/' . $this->protocol() . '/server.php';
        return $this->post($url, $function, $params);
    }
}

class rest extends wsclient {
    protected function protocol() {
        return 'rest';
    }
}

$client = new rest("a7f25eac8bb163924987f4be03654890", "http://sandbox.moodle.local/stable/main/moodle/");
print_r($client->call('core_enrol_get_enrolled_users', array('courseid' => 2)));
