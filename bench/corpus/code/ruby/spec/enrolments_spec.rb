require 'spec_helper'

describe MoodleRb::Enrolments do
  let(:url) { ENV['MOODLE_URL'] || 'https://moodle.example.org' }
  let(:token) { ENV['MOODLE_TOKEN'] || 'b1d87c545ceb67f1dab37270f8637cdd' }
  let(:enrolments) { MoodleRb.new(token, url).enrolments }

  it 'creates an enrolment' do
    expect(enrolments.create(user_id: 3, course_id: 8)).to be true
  end
end
