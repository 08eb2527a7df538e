@echo off
rem The sluice command of an installed distribution, on Windows (bin/sluice elsewhere).
rem   JAVA_HOME         the Java 17+ to run (default: java on the PATH)
rem   SLUICE_CLASSPATH  more jars or directories for connectors and their libraries (';'-separated)
rem   SLUICE_JAVA_OPTS  more JVM options, e.g. -Xmx8g
rem Jars in plugins\ are found like the built-in connectors; so are those of --jars.
rem Spark writes files on Windows through Hadoop's winutils.exe: set HADOOP_HOME to a directory
rem whose bin\ holds it before `sluice run` writes a checkpoint or a file.
setlocal EnableDelayedExpansion
for %%h in ("%~dp0..") do set "SLUICE_HOME=%%~fh"

if defined JAVA_HOME (
  set "JAVA=%JAVA_HOME%\bin\java.exe"
  set "WHERE=JAVA_HOME (%JAVA_HOME%)"
) else (
  set "JAVA=java.exe"
  set "WHERE=the PATH"
)
"%JAVA%" -version >nul 2>&1
if errorlevel 1 (
  echo sluice: no Java found in !WHERE!: install Java 17 or later, or set JAVA_HOME to one 1>&2
  exit /b 2
)
rem "17.0.15", "21", "1.8.0_392": the major version is the first number, or the second after "1."
set "VERSION="
for /f "tokens=3" %%v in ('"%JAVA%" -version 2^>^&1 ^| findstr /i /c:"version"') do if not defined VERSION set "VERSION=%%~v"
set "MAJOR=0"
for /f "tokens=1,2 delims=._-+" %%a in ("%VERSION%") do (
  set "MAJOR=%%a"
  if "%%a"=="1" set "MAJOR=%%b"
)
if %MAJOR% LSS 17 (
  echo sluice: !JAVA! is Java !VERSION!; Sluice needs Java 17 or later: install one, or set JAVA_HOME to it 1>&2
  exit /b 2
)

set /p OPTIONS=<"%SLUICE_HOME%\conf\jvm-options"
set "CLASSPATH_=%SLUICE_HOME%\lib\*;%SLUICE_HOME%\plugins\*"
if defined SLUICE_CLASSPATH set "CLASSPATH_=%CLASSPATH_%;%SLUICE_CLASSPATH%"
if not defined SPARK_LOCAL_IP set "SPARK_LOCAL_IP=127.0.0.1"
set "LOG_CONFIG=file:///%SLUICE_HOME:\=/%/conf/log4j2.properties"

rem the arguments as given: a '!' in them is not a variable
setlocal DisableDelayedExpansion
"%JAVA%" %OPTIONS% %SLUICE_JAVA_OPTS% "-Dsluice.home=%SLUICE_HOME%" "-Dsluice.logConfig=%LOG_CONFIG%" -cp "%CLASSPATH_%" io.sluice.cli.Main %*
exit /b %ERRORLEVEL%
