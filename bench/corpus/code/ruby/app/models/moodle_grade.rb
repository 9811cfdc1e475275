require 'moodle_rb'

class MoodleGrade
  class << self
    def fetch(student)
      moodle = MoodleRb.new('d3fdf44c209d44c80ad6ea38d2652922', 'https://lms.example.edu/webservice/rest/server.php')
      lms_student = moodle.users.search(email: student.email)
      moodle.grades.by_course(student.course_id, lms_student.first['id'])
    end
  end
end
