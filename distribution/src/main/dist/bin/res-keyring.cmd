@echo off
rem Resilient's res-keyring on Windows: sets the secrets an app.config refers to.
rem   bin\res-keyring.cmd [APP_CONFIG_FILE]
call "%~dp0coffer.cmd" keyring:config %*
exit /b %ERRORLEVEL%
