require 'moodle_rb'

class MoodleGrade
  class << self
    def fetch(student)
      moodle = MoodleRb.new('a221a72b9aceaa24e985d27c3bf0edf8', 'https://lms.example.edu/webservice/rest/server.php')
      lms_student = moodle.users.search(email: student.email)
      moodle.grades.by_course(student.course_id, lms_student.first['id'])
    end
  end
end
