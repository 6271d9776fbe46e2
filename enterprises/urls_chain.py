from django.urls import path

from enterprises import views_chain

urlpatterns: list = [
    path("chains/", views_chain.chain_index, name="enterprises-chains"),
    path("<int:pk>/chain/", views_chain.chain_detail, name="enterprises-chain"),
    path("<int:pk>/chain/export/", views_chain.chain_export, name="enterprises-chain-export"),
    path("<int:pk>/served/", views_chain.served, name="enterprises-served"),
]
