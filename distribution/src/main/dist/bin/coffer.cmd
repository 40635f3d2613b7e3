@echo off
rem Coffer on Windows: without arguments, the Gogo shell; with arguments, one command
rem whose exit status this script returns, for example:
rem   bin\coffer.cmd keyring:get SERVICE USER
rem The same commands, options, prompts and exit statuses as bin/coffer on Linux. A
rem command goes to the user's agent where Windows has Unix domain sockets (Windows 10
rem and later), else Coffer starts in this process. State is in %LOCALAPPDATA%\coffer;
rem every file and folder Coffer makes has the user alone in its access list.
rem Standard input that is not a console (a pipe, a file) is read as the secret, as
rem Python's keyring reads it.
setlocal
for %%i in ("%~dp0..") do set "COFFER_INSTALL=%%~fi"
if defined JAVA_HOME (set "JAVA=%JAVA_HOME%\bin\java.exe") else (set "JAVA=java.exe")
rem no other process of the user attaches to the JVM to read keys from its memory;
rem COFFER_ALLOW_ATTACH=1 allows it for debugging
set "ATTACH=-XX:+DisableAttachMechanism"
if defined COFFER_ALLOW_ATTACH set "ATTACH="
"%JAVA%" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED -Dsun.misc.unsafe.memory.access=allow %ATTACH% %COFFER_JAVA_OPTS% -Dcoffer.install="%COFFER_INSTALL%" -Dcoffer.stdin.tty=console -cp "%COFFER_INSTALL%\lib\*" org.coffer.client.Client %*
exit /b %ERRORLEVEL%
