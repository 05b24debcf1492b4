package main

// What the tests read of `station orders -json` and `station history -json`: the JSON is the
// contract with scripts, so the tests decode it as a script would.

type orderJSON struct {
	OrderID string `json:"order_id"`
	Type    string `json:"type"`
	State   string `json:"state"`
}

type historyJSON struct {
	OrderID string `json:"order_id"`
	State   string `json:"state"`
	Prints  int    `json:"prints"`
}
