package web_test

import "github.com/weerbaar/weerbaar/models"

func models_admin() models.Actor { return models.Actor{ID: "test", Role: models.RoleAdmin} }
