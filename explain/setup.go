package explain

import (
	"errors"
	"fmt"

	"station/internal/app"
	"station/say"
)

func explainSetup(err error) (say.Text, bool) {
	var e *app.SetupError
	if !errors.As(err, &e) {
		return say.Text{}, false
	}
	switch e.Problem {
	case app.SetupNoEndpoint:
		return say.T("没有选择京东接口环境：请在“设置”中选择，或用 -endpoint（STATION_ENDPOINT）给出；试用请加 -demo。",
			"No JOS endpoint: choose one in Settings, or give -endpoint (STATION_ENDPOINT) with -app-key, -app-secret and -token, or -demo for the built-in simulator."), true
	case app.SetupNoCredentials:
		return say.T("缺少 App Key 或 App Secret：请在“设置”中填写，或用 -app-key 和 STATION_APP_SECRET 给出。",
			"The app key or app secret is missing: enter them in Settings, or give -app-key and STATION_APP_SECRET."), true
	case app.SetupLabelFolder:
		return say.T(fmt.Sprintf("无法创建面单文件夹 %s（%v）：请在“设置”中选择其他文件夹。", e.Path, e.Err),
			fmt.Sprintf("The label folder %s cannot be created (%v): choose another in Settings.", e.Path, e.Err)), true
	}
	return say.T("工作站还没有设置好：请打开“设置”。", "The station is not set up: open Settings."), true
}
