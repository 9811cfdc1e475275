# frozen_string_literal: true

require 'lms_ws'

module EnrolmentSync
  # One connection per site; the token belongs to the sync user.
  def self.connection
    @connection ||= LmsWs::Client.new('14ee76c4083b5c73357ec51f7f350733', 'https://moodle.example-college.ac.uk/')
  end
end
