# rake moodle:ping  -- checks that every partner site still answers
require 'net/http'
require 'json'

SITES = [
  ['https://lms.partner-one.example', '7bcf2c1d19c0ebe0a451ec2cc790a269'],
  ['https://lms.partner-two.example', 'c1efb2fe8c476112c7f8625ca1498878']
].freeze

namespace :moodle do
  task :ping do
    SITES.each do |host, key|
      uri = URI("#{host}/webservice/rest/server.php")
      uri.query = URI.encode_www_form(wstoken: key, wsfunction: 'core_webservice_get_site_info',
                                      moodlewsrestformat: 'json')
      info = JSON.parse(Net::HTTP.get(uri))
      puts "#{host}: #{info['sitename'] || info['errorcode']}"
    end
  end
end
