# Builds the Windows installer: the PyInstaller bundle, then the Inno Setup installer.
# Run from the project folder in PowerShell, after the steps in packaging/README.md:
#   powershell -ExecutionPolicy Bypass -File packaging\build_windows.ps1
$ErrorActionPreference = "Stop"
Set-Location (Split-Path -Parent $PSScriptRoot)

$python = ".venv\Scripts\python.exe"
& $python packaging\build.py
if ($LASTEXITCODE -ne 0) { throw "PyInstaller build failed" }

# The version lives in one place: desktop_app/__init__.py
$version = & $python -c "import desktop_app; print(desktop_app.__version__)"
$iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe"
if (-not (Test-Path $iscc)) { $iscc = "$env:ProgramFiles\Inno Setup 6\ISCC.exe" }
& $iscc "/DAppVersion=$version" packaging\installer.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
Write-Host "Installer: packaging\Output\ComplaintDesk-Setup-$version.exe"
