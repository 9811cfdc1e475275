# Rotate-GradeSyncToken.ps1 - swap the Moodle grade-sync token on the app servers
# Run from the admin jump host; see the wiki page "Grade sync" for the cutover steps.

# previous token, revoke in Site administration > Web services > Manage tokens after cutover:
# $OldValue = '9abc9f9cb0b45b779518186f18c5fe2d'
$NewValue = Read-Host -Prompt 'New token'

foreach ($server in 'app01', 'app02') {
    Invoke-Command -ComputerName $server -ScriptBlock {
        param($v) [Environment]::SetEnvironmentVariable('GRADESYNC_TOKEN', $v, 'Machine')
    } -ArgumentList $NewValue
}
