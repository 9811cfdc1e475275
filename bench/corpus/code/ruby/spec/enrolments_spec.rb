require 'spec_helper'

describe MoodleRb::Enrolments do
  let(:url) { ENV['MOODLE_URL'] || 'https://moodle.example.org' }
  let(:token) { ENV['MOODLE_TOKEN'] || '079bac6cc4324535d29526226d87355c' }
  let(:enrolments) { MoodleRb.new(token, url).enrolments }

  it 'creates an enrolment' do
    expect(enrolments.create(user_id: 3, course_id: 8)).to be true
  end
end
