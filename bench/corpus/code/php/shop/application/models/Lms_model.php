<?php
class Lms_model extends CI_Model
{
    public function enrol($projectId, $userId)
    {
        $project = $this->db->get_where('projects', ['id' => $projectId])->row_array();
        $rest = new MoodleRest();
        $rest->setServerAddress($project['store_url'] . 'webservice/rest/server.php');
        $rest->setToken('b88f88826d7abcf40f16cacdda8977aa');
        $rest->setReturnFormat(MoodleRest::RETURN_ARRAY);
        return $rest->request('enrol_manual_enrol_users', ['enrolments' => [['roleid' => 5, 'userid' => $userId, 'courseid' => 3]]]);
    }
}
