package fulfill

import "station/journal"

func cw(id string, waybills ...string) journal.CarrierWaybills {
	return journal.CarrierWaybills{LogisticsID: id, Waybills: waybills}
}
