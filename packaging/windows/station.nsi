; The station's Windows installer, built on Linux by `make windows` with Debian's makensis:
;   makensis -DVERSION=1.0.N -DDIST=dist/windows packaging/windows/station.nsi
; It installs for the user who runs it (no administrator rights: packing PCs are often locked
; down), into %LOCALAPPDATA%\Programs\station, with Start-menu and desktop shortcuts and an
; entry in Apps & features. The user's settings, journal and labels under %AppData%\station
; are left alone by the uninstaller: they are the shift's records.

; 64-bit, as station.exe is: a 32-bit Windows could not run it anyway.
Target amd64-unicode
!include "MUI2.nsh"
!include "FileFunc.nsh"

!ifndef VERSION
  !define VERSION "0.0.0"
!endif
!ifndef DIST
  !define DIST "dist\windows"
!endif

!define APPKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\station"

Name "$(AppName)"
OutFile "${DIST}\station-setup.exe"
InstallDir "$LOCALAPPDATA\Programs\station"
InstallDirRegKey HKCU "Software\station" "InstallDir"
RequestExecutionLevel user
SetCompressor /SOLID lzma
ShowInstDetails show

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=2052 "ProductName" "京东发货工作台"
VIAddVersionKey /LANG=2052 "FileDescription" "京东发货工作台 安装程序"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "station"

!define MUI_ICON "icon.ico"
!define MUI_UNICON "icon.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\station.exe"
!define MUI_FINISHPAGE_RUN_PARAMETERS "-demo"
!define MUI_FINISHPAGE_RUN_TEXT "$(RunDemo)"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; Chinese first: the installer speaks Chinese unless Windows runs in English.
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"

LangString AppName ${LANG_SIMPCHINESE} "京东发货工作台"
LangString AppName ${LANG_ENGLISH} "JD waybill station"
LangString DemoName ${LANG_SIMPCHINESE} "京东发货工作台（演示）"
LangString DemoName ${LANG_ENGLISH} "JD waybill station (demo)"
LangString CLIName ${LANG_SIMPCHINESE} "京东发货工作台 命令行"
LangString CLIName ${LANG_ENGLISH} "JD waybill station command line"
LangString RunDemo ${LANG_SIMPCHINESE} "打开演示（内置模拟京东，不连真实店铺）"
LangString RunDemo ${LANG_ENGLISH} "Open the demo (built-in JD simulator, no real shop)"
LangString Running ${LANG_SIMPCHINESE} "京东发货工作台正在运行：请先关闭它，再点“重试”。"
LangString Running ${LANG_ENGLISH} "The station is running: close it first, then press Retry."

Section "station" SecMain
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  ; A running station.exe cannot be replaced: say so instead of leaving a half-updated folder.
  retry:
  ClearErrors
  Delete "$INSTDIR\station.exe"
  IfErrors 0 +3
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(Running)" /SD IDCANCEL IDRETRY retry
    Abort
  File "${DIST}\station.exe"
  File "${DIST}\station-cli.exe"
  File "/oname=station.ico" "icon.ico"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\$(AppName)"
  CreateShortcut "$SMPROGRAMS\$(AppName)\$(AppName).lnk" "$INSTDIR\station.exe" "" "$INSTDIR\station.ico"
  CreateShortcut "$SMPROGRAMS\$(AppName)\$(DemoName).lnk" "$INSTDIR\station.exe" "-demo" "$INSTDIR\station.ico"
  ; The command line opens in a console that stays open, in the user's own folder.
  CreateShortcut "$SMPROGRAMS\$(AppName)\$(CLIName).lnk" "$SYSDIR\cmd.exe" '/k "$INSTDIR\station-cli.exe" help' "$INSTDIR\station.ico"
  CreateShortcut "$DESKTOP\$(AppName).lnk" "$INSTDIR\station.exe" "" "$INSTDIR\station.ico"

  WriteRegStr HKCU "Software\station" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${APPKEY}" "DisplayName" "$(AppName)"
  WriteRegStr HKCU "${APPKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${APPKEY}" "Publisher" "station"
  WriteRegStr HKCU "${APPKEY}" "DisplayIcon" "$INSTDIR\station.ico"
  WriteRegStr HKCU "${APPKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${APPKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${APPKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${APPKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${APPKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${APPKEY}" "EstimatedSize" $0
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  Delete "$INSTDIR\station.exe"
  Delete "$INSTDIR\station-cli.exe"
  Delete "$INSTDIR\station.ico"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\$(AppName)\$(AppName).lnk"
  Delete "$SMPROGRAMS\$(AppName)\$(DemoName).lnk"
  Delete "$SMPROGRAMS\$(AppName)\$(CLIName).lnk"
  RMDir "$SMPROGRAMS\$(AppName)"
  Delete "$DESKTOP\$(AppName).lnk"
  DeleteRegKey HKCU "${APPKEY}"
  DeleteRegKey HKCU "Software\station"
SectionEnd
