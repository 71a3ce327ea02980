; Inno Setup 6 script: installs the one-folder bundle built by packaging/build.py on Windows.
; Build with packaging\build_windows.ps1, which passes the version read from
; desktop_app/__init__.py (the only place it is written):
;   ISCC.exe /DAppVersion=0.1.0 packaging\installer.iss
;
; The database is NOT in the install folder: the app keeps it in the user's data directory
; (%LOCALAPPDATA%\ComplaintDesk\desk.sqlite3, with backups\ beside it). This script never
; installs, replaces or deletes anything there, so upgrading or uninstalling keeps every case.

#ifndef AppVersion
  #error Pass the version: ISCC /DAppVersion=x.y.z installer.iss
#endif

#define AppName "顾客投诉与退换货服务台"
#define AppExe "ComplaintDesk.exe"

[Setup]
; A fixed AppId makes every later installer an upgrade of this one, never a second copy.
AppId={{6A3C2F8E-5B1D-4E7A-9C42-0D8F1B7E2A55}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Complaint & Returns Desk
DefaultDirName={autopf}\ComplaintDesk
DefaultGroupName={#AppName}
OutputDir=Output
OutputBaseFilename=ComplaintDesk-Setup-{#AppVersion}
Compression=lzma2
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
WizardStyle=modern
; The app must be closed while its files are replaced.
CloseApplications=yes
UninstallDisplayIcon={app}\{#AppExe}

[Languages]
; Inno Setup ships Chinese Simplified as an unofficial translation: download
; ChineseSimplified.isl from https://jrsoftware.org/files/istrans/ into Inno Setup's
; Languages folder and add:
;   Name: "chs"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
; The whole bundle; an upgrade replaces the program files only.
Source: "dist\ComplaintDesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{group}\{#AppName} 演示数据"; Filename: "{app}\{#AppExe}"; Parameters: "--demo"
Name: "{group}\卸载 {#AppName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] section on purpose: the database and its backups stay.
