<?php
class AttemptController extends AppController
{
    public function start()
    {
        $http = new Client();
        $response = $http->post($this->lmsBase . 'login/token.php?username=quizbot&service=quiz_service&password=dDS1E_k2NANO');
        $json = $response->getJson();
        $this->set('token', $json['token']);
    }
}
